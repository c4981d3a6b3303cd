/**
 * lunr - http://lunrjs.com - A bit like Solr, but much smaller and not as bright - 2.3.9
 * Copyright (C) 2020 Oliver Nightingale
 * @license MIT
 */
!function(){var e=function(t){var r=new e.Builder;return r.pipeline.add(e.trimmer,e.stopWordFilter,e.stemmer),r.searchPipeline.add(e.stemmer),t.call(r,r),r.build()};e.version="2.3.9",e.utils={},e.utils.warn=function(e){return function(t){e.console&&console.warn&&console.warn(t)}}(this),e.utils.asString=function(e){return void 0===e||null===e?"":e.toString()},e.utils.clone=function(e){if(null===e||void 0===e)return e;for(var t=Object.create(null),r=Object.keys(e),i=0;i<r.length;i++){var n=r[i],s=e[n];if(Array.isArray(s))t[n]=s.slice();else{if("string"!=typeof s&&"number"!=typeof s&&"boolean"!=typeof s)throw new TypeError("clone is not deep and does not support nested objects");t[n]=s}}return t},e.FieldRef=function(e,t,r){this.docRef=e,this.fieldName=t,this._stringValue=r},e.FieldRef.joiner="/",e.FieldRef.fromString=function(t){var r=t.indexOf(e.FieldRef.joiner);if(r===-1)throw"malformed field ref string";var i=t.slice(0,r),n=t.slice(r+1);return new e.FieldRef(n,i,t)},e.FieldRef.prototype.toString=function(){return void 0==this._stringValue&&(this._stringValue=this.fieldName+e.FieldRef.joiner+this.docRef),this._stringValue},e.Set=function(e){if(this.elements=Object.create(null),e){this.length=e.length;for(var t=0;t<this.length;t++)this.elements[e[t]]=!0}else this.length=0},e.Set.complete={intersect:function(e){return e},union:function(){return this},contains:function(){return!0}},e.Set.empty={intersect:function(){return this},union:function(e){return e},contains:function(){return!1}},e.Set.prototype.contains=function(e){return!!this.elements[e]},e.Set.prototype.intersect=function(t){var r,i,n,s=[];if(t===e.Set.complete)return this;if(t===e.Set.empty)return t;this.length<t.length?(r=this,i=t):(r=t,i=this),n=Object.keys(r.elements);for(var o=0;o<n.length;o++){var a=n[o];a in i.elements&&s.push(a)}return new e.Set(s)},e.Set.prototype.union=function(t){return t===e.Set.complete?e.Set.complete:t===e.Set.empty?this:new e.Set(Object.keys(this.elements).concat(Object.keys(t.elements)))},e.idf=function(e,t){var r=0;for(var i in e)"_index"!=i&&(r+=Object.keys(e[i]).length);var n=(t-r+.5)/(r+.5);return Math.log(1+Math.abs(n))},e.Token=function(e,t){this.str=e||"",this.metadata=t||{}},e.Token.prototype.toString=function(){return this.str},e.Token.prototype.update=function(e){return this.str=e(this.str,this.metadata),this},e.Token.prototype.clone=function(t){return t=t||function(e){return e},new e.Token(t(this.str,this.metadata),this.metadata)},e.tokenizer=function(t,r){if(null==t||void 0==t)return[];if(Array.isArray(t))return t.map(function(t){return new e.Token(e.utils.asString(t).toLowerCase(),e.utils.clone(r))});for(var i=t.toString().toLowerCase(),n=i.length,s=[],o=0,a=0;o<=n;o++){var u=i.charAt(o),l=o-a;if(u.match(e.tokenizer.separator)||o==n){if(l>0){var c=e.utils.clone(r)||{};c.position=[a,l],c.index=s.length,s.push(new e.Token(i.slice(a,o),c))}a=o+1}}return s},e.tokenizer.separator=/[\s\-]+/,e.Pipeline=function(){this._stack=[]},e.Pipeline.registeredFunctions=Object.create(null),e.Pipeline.registerFunction=function(t,r){r in this.registeredFunctions&&e.utils.warn("Overwriting existing registered function: "+r),t.label=r,e.Pipeline.registeredFunctions[t.label]=t},e.Pipeline.warnIfFunctionNotRegistered=function(t){var r=t.label&&t.label in this.registeredFunctions;r||e.utils.warn("Function is not registered with pipeline. This may cause problems when serialising the index.\n",t)},e.Pipeline.load=function(t){var r=new e.Pipeline;return t.forEach(function(t){var i=e.Pipeline.registeredFunctions[t];if(!i)throw new Error("Cannot load unregistered function: "+t);r.add(i)}),r},e.Pipeline.prototype.add=function(){var t=Array.prototype.slice.call(arguments);t.forEach(function(t){e.Pipeline.warnIfFunctionNotRegistered(t),this._stack.push(t)},this)},e.Pipeline.prototype.after=function(t,r){e.Pipeline.warnIfFunctionNotRegistered(r);var i=this._stack.indexOf(t);if(i==-1)throw new Error("Cannot find existingFn");i+=1,this._stack.splice(i,0,r)},e.Pipeline.prototype.before=function(t,r){e.Pipeline.warnIfFunctionNotRegistered(r);var i=this._stack.indexOf(t);if(i==-1)throw new Error("Cannot find existingFn");this._stack.splice(i,0,r)},e.Pipeline.prototype.remove=function(e){var t=this._stack.indexOf(e);t!=-1&&this._stack.splice(t,1)},e.Pipeline.prototype.run=function(e){for(var t=this._stack.length,r=0;r<t;r++){for(var i=this._stack[r],n=[],s=0;s<e.length;s++){var o=i(e[s],s,e);if(null!==o&&void 0!==o&&""!==o)if(Array.isArray(o))for(var a=0;a<o.length;a++)n.push(o[a]);else n.push(o)}e=n}return e},e.Pipeline.prototype.runString=function(t,r){var i=new e.Token(t,r);return this.run([i]).map(function(e){return e.toString()})},e.Pipeline.prototype.reset=function(){this._stack=[]},e.Pipeline.prototype.toJSON=function(){return this._stack.map(function(t){return e.Pipeline.warnIfFunctionNotRegistered(t),t.label})},e.Vector=function(e){this._magnitude=0,this.elements=e||[]},e.Vector.prototype.positionForIndex=function(e){if(0==this.elements.length)return 0;for(var t=0,r=this.elements.length/2,i=r-t,n=Math.floor(i/2),s=this.elements[2*n];i>1&&(s<e&&(t=n),s>e&&(r=n),s!=e);)i=r-t,n=t+Math.floor(i/2),s=this.elements[2*n];return s==e?2*n:s>e?2*n:s<e?2*(n+1):void 0},e.Vector.prototype.insert=function(e,t){this.upsert(e,t,function(){throw"duplicate index"})},e.Vector.prototype.upsert=function(e,t,r){this._magnitude=0;var i=this.positionForIndex(e);this.elements[i]==e?this.elements[i+1]=r(this.elements[i+1],t):this.elements.splice(i,0,e,t)},e.Vector.prototype.magnitude=function(){if(this._magnitude)return this._magnitude;for(var e=0,t=this.elements.length,r=1;r<t;r+=2){var i=this.elements[r];e+=i*i}return this._magnitude=Math.sqrt(e)},e.Vector.prototype.dot=function(e){for(var t=0,r=this.elements,i=e.elements,n=r.length,s=i.length,o=0,a=0,u=0,l=0;u<n&&l<s;)o=r[u],a=i[l],o<a?u+=2:o>a?l+=2:o==a&&(t+=r[u+1]*i[l+1],u+=2,l+=2);return t},e.Vector.prototype.similarity=function(e){return this.dot(e)/this.magnitude()||0},e.Vector.prototype.toArray=function(){for(var e=new Array(this.elements.length/2),t=1,r=0;t<this.elements.length;t+=2,r++)e[r]=this.elements[t];return e},e.Vector.prototype.toJSON=function(){return this.elements},e.stemmer=function(){var e={ational:"ate",tional:"tion",enci:"ence",anci:"ance",izer:"ize",bli:"ble",alli:"al",entli:"ent",eli:"e",ousli:"ous",ization:"ize",ation:"ate",ator:"ate",alism:"al",iveness:"ive",fulness:"ful",ousness:"ous",aliti:"al",iviti:"ive",biliti:"ble",logi:"log"},t={icate:"ic",ative:"",alize:"al",iciti:"ic",ical:"ic",ful:"",ness:""},r="[^aeiou]",i="[aeiouy]",n=r+"[^aeiouy]*",s=i+"[aeiou]*",o="^("+n+")?"+s+n,a="^("+n+")?"+s+n+"("+s+")?$",u="^("+n+")?"+s+n+s+n,l="^("+n+")?"+i,c=new RegExp(o),h=new RegExp(u),d=new RegExp(a),f=new RegExp(l),p=/^(.+?)(ss|i)es$/,y=/^(.+?)([^s])s$/,m=/^(.+?)eed$/,v=/^(.+?)(ed|ing)$/,g=/.$/,x=/(at|bl|iz)$/,w=new RegExp("([^aeiouylsz])\\1$"),Q=new RegExp("^"+n+i+"[^aeiouwxy]$"),k=/^(.+?[^aeiou])y$/,S=/^(.+?)(ational|tional|enci|anci|izer|bli|alli|entli|eli|ousli|ization|ation|ator|alism|iveness|fulness|ousness|aliti|iviti|biliti|logi)$/,E=/^(.+?)(icate|ative|alize|iciti|ical|ful|ness)$/,L=/^(.+?)(al|ance|ence|er|ic|able|ible|ant|ement|ment|ent|ou|ism|ate|iti|ous|ive|ize)$/,b=/^(.+?)(s|t)(ion)$/,P=/^(.+?)e$/,T=/ll$/,O=new RegExp("^"+n+i+"[^aeiouwxy]$"),I=function(r){var i,n,s,o,a,u,l;if(r.length<3)return r;if(s=r.substr(0,1),"y"==s&&(r=s.toUpperCase()+r.substr(1)),o=p,a=y,o.test(r)?r=r.replace(o,"$1$2"):a.test(r)&&(r=r.replace(a,"$1$2")),o=m,a=v,o.test(r)){var I=o.exec(r);o=c,o.test(I[1])&&(o=g,r=r.replace(o,""))}else if(a.test(r)){var I=a.exec(r);i=I[1],a=f,a.test(i)&&(r=i,a=x,u=w,l=Q,a.test(r)?r+="e":u.test(r)?(o=g,r=r.replace(o,"")):l.test(r)&&(r+="e"))}if(o=k,o.test(r)){var I=o.exec(r);i=I[1],r=i+"i"}if(o=S,o.test(r)){var I=o.exec(r);i=I[1],n=I[2],o=c,o.test(i)&&(r=i+e[n])}if(o=E,o.test(r)){var I=o.exec(r);i=I[1],n=I[2],o=c,o.test(i)&&(r=i+t[n])}if(o=L,a=b,o.test(r)){var I=o.exec(r);i=I[1],o=h,o.test(i)&&(r=i)}else if(a.test(r)){var I=a.exec(r);i=I[1]+I[2],a=h,a.test(i)&&(r=i)}if(o=P,o.test(r)){var I=o.exec(r);i=I[1],o=h,a=d,u=O,(o.test(i)||a.test(i)&&!u.test(i))&&(r=i)}return o=T,a=h,o.test(r)&&a.test(r)&&(o=g,r=r.replace(o,"")),"y"==s&&(r=s.toLowerCase()+r.substr(1)),r};return function(e){return e.update(I)}}(),e.Pipeline.registerFunction(e.stemmer,"stemmer"),e.generateStopWordFilter=function(e){var t=e.reduce(function(e,t){return e[t]=t,e},{});return function(e){if(e&&t[e.toString()]!==e.toString())return e}},e.stopWordFilter=e.generateStopWordFilter(["a","able","about","across","after","all","almost","also","am","among","an","and","any","are","as","at","be","because","been","but","by","can","cannot","could","dear","did","do","does","either","else","ever","every","for","from","get","got","had","has","have","he","her","hers","him","his","how","however","i","if","in","into","is","it","its","just","least","let","like","likely","may","me","might","most","must","my","neither","no","nor","not","of","off","often","on","only","or","other","our","own","rather","said","say","says","she","should","since","so","some","than","that","the","their","them","then","there","these","they","this","tis","to","too","twas","us","wants","was","we","were","what","when","where","which","while","who","whom","why","will","with","would","yet","you","your"]),e.Pipeline.registerFunction(e.stopWordFilter,"stopWordFilter"),e.trimmer=function(e){return e.update(function(e){return e.replace(/^\W+/,"").replace(/\W+$/,"")})},e.Pipeline.registerFunction(e.trimmer,"trimmer"),e.TokenSet=function(){this["final"]=!1,this.edges={},this.id=e.TokenSet._nextId,e.TokenSet._nextId+=1},e.TokenSet._nextId=1,e.TokenSet.fromArray=function(t){for(var r=new e.TokenSet.Builder,i=0,n=t.length;i<n;i++)r.insert(t[i]);return r.finish(),r.root},e.TokenSet.fromClause=function(t){return"editDistance"in t?e.TokenSet.fromFuzzyString(t.term,t.editDistance):e.TokenSet.fromString(t.term)},e.TokenSet.fromFuzzyString=function(t,r){for(var i=new e.TokenSet,n=[{node:i,editsRemaining:r,str:t}];n.length;){var s=n.pop();if(s.str.length>0){var o,a=s.str.charAt(0);a in s.node.edges?o=s.node.edges[a]:(o=new e.TokenSet,s.node.edges[a]=o),1==s.str.length&&(o["final"]=!0),n.push({node:o,editsRemaining:s.editsRemaining,str:s.str.slice(1)})}if(0!=s.editsRemaining){if("*"in s.node.edges)var u=s.node.edges["*"];else{var u=new e.TokenSet;s.node.edges["*"]=u}if(0==s.str.length&&(u["final"]=!0),n.push({node:u,editsRemaining:s.editsRemaining-1,str:s.str}),s.str.length>1&&n.push({node:s.node,editsRemaining:s.editsRemaining-1,str:s.str.slice(1)}),1==s.str.length&&(s.node["final"]=!0),s.str.length>=1){if("*"in s.node.edges)var l=s.node.edges["*"];else{var l=new e.TokenSet;s.node.edges["*"]=l}1==s.str.length&&(l["final"]=!0),n.push({node:l,editsRemaining:s.editsRemaining-1,str:s.str.slice(1)})}if(s.str.length>1){var c,h=s.str.charAt(0),d=s.str.charAt(1);d in s.node.edges?c=s.node.edges[d]:(c=new e.TokenSet,s.node.edges[d]=c),1==s.str.length&&(c["final"]=!0),n.push({node:c,editsRemaining:s.editsRemaining-1,str:h+s.str.slice(2)})}}}return i},e.TokenSet.fromString=function(t){for(var r=new e.TokenSet,i=r,n=0,s=t.length;n<s;n++){var o=t[n],a=n==s-1;if("*"==o)r.edges[o]=r,r["final"]=a;else{var u=new e.TokenSet;u["final"]=a,r.edges[o]=u,r=u}}return i},e.TokenSet.prototype.toArray=function(){for(var e=[],t=[{prefix:"",node:this}];t.length;){var r=t.pop(),i=Object.keys(r.node.edges),n=i.length;r.node["final"]&&(r.prefix.charAt(0),e.push(r.prefix));for(var s=0;s<n;s++){var o=i[s];t.push({prefix:r.prefix.concat(o),node:r.node.edges[o]})}}return e},e.TokenSet.prototype.toString=function(){if(this._str)return this._str;for(var e=this["final"]?"1":"0",t=Object.keys(this.edges).sort(),r=t.length,i=0;i<r;i++){var n=t[i],s=this.edges[n];e=e+n+s.id}return e},e.TokenSet.prototype.intersect=function(t){for(var r=new e.TokenSet,i=void 0,n=[{qNode:t,output:r,node:this}];n.length;){i=n.pop();for(var s=Object.keys(i.qNode.edges),o=s.length,a=Object.keys(i.node.edges),u=a.length,l=0;l<o;l++)for(var c=s[l],h=0;h<u;h++){var d=a[h];if(d==c||"*"==c){var f=i.node.edges[d],p=i.qNode.edges[c],y=f["final"]&&p["final"],m=void 0;d in i.output.edges?(m=i.output.edges[d],m["final"]=m["final"]||y):(m=new e.TokenSet,m["final"]=y,i.output.edges[d]=m),n.push({qNode:p,output:m,node:f})}}}return r},e.TokenSet.Builder=function(){this.previousWord="",this.root=new e.TokenSet,this.uncheckedNodes=[],this.minimizedNodes={}},e.TokenSet.Builder.prototype.insert=function(t){var r,i=0;if(t<this.previousWord)throw new Error("Out of order word insertion");for(var n=0;n<t.length&&n<this.previousWord.length&&t[n]==this.previousWord[n];n++)i++;this.minimize(i),r=0==this.uncheckedNodes.length?this.root:this.uncheckedNodes[this.uncheckedNodes.length-1].child;for(var n=i;n<t.length;n++){var s=new e.TokenSet,o=t[n];r.edges[o]=s,this.uncheckedNodes.push({parent:r,"char":o,child:s}),r=s}r["final"]=!0,this.previousWord=t},e.TokenSet.Builder.prototype.finish=function(){this.minimize(0)},e.TokenSet.Builder.prototype.minimize=function(e){for(var t=this.uncheckedNodes.length-1;t>=e;t--){var r=this.uncheckedNodes[t],i=r.child.toString();i in this.minimizedNodes?r.parent.edges[r["char"]]=this.minimizedNodes[i]:(r.child._str=i,this.minimizedNodes[i]=r.child),this.uncheckedNodes.pop()}},e.Index=function(e){this.invertedIndex=e.invertedIndex,this.fieldVectors=e.fieldVectors,this.tokenSet=e.tokenSet,this.fields=e.fields,this.pipeline=e.pipeline},e.Index.prototype.search=function(t){return this.query(function(r){var i=new e.QueryParser(t,r);i.parse()})},e.Index.prototype.query=function(t){for(var r=new e.Query(this.fields),i=Object.create(null),n=Object.create(null),s=Object.create(null),o=Object.create(null),a=Object.create(null),u=0;u<this.fields.length;u++)n[this.fields[u]]=new e.Vector;t.call(r,r);for(var u=0;u<r.clauses.length;u++){var l=r.clauses[u],c=null,h=e.Set.empty;c=l.usePipeline?this.pipeline.runString(l.term,{fields:l.fields}):[l.term];for(var d=0;d<c.length;d++){var f=c[d];l.term=f;var p=e.TokenSet.fromClause(l),y=this.tokenSet.intersect(p).toArray();if(0===y.length&&l.presence===e.Query.presence.REQUIRED){for(var m=0;m<l.fields.length;m++){var v=l.fields[m];o[v]=e.Set.empty}break}for(var g=0;g<y.length;g++)for(var x=y[g],w=this.invertedIndex[x],Q=w._index,m=0;m<l.fields.length;m++){var v=l.fields[m],k=w[v],S=Object.keys(k),E=x+"/"+v,L=new e.Set(S);if(l.presence==e.Query.presence.REQUIRED&&(h=h.union(L),void 0===o[v]&&(o[v]=e.Set.complete)),l.presence!=e.Query.presence.PROHIBITED){if(n[v].upsert(Q,l.boost,function(e,t){return e+t}),!s[E]){for(var b=0;b<S.length;b++){var P,T=S[b],O=new e.FieldRef(T,v),I=k[T];void 0===(P=i[O])?i[O]=new e.MatchData(x,v,I):P.add(x,v,I)}s[E]=!0}}else void 0===a[v]&&(a[v]=e.Set.empty),a[v]=a[v].union(L)}}if(l.presence===e.Query.presence.REQUIRED)for(var m=0;m<l.fields.length;m++){var v=l.fields[m];o[v]=o[v].intersect(h)}}for(var R=e.Set.complete,F=e.Set.empty,u=0;u<this.fields.length;u++){var v=this.fields[u];o[v]&&(R=R.intersect(o[v])),a[v]&&(F=F.union(a[v]))}var C=Object.keys(i),N=[],_=Object.create(null);if(r.isNegated()){C=Object.keys(this.fieldVectors);for(var u=0;u<C.length;u++){var O=C[u],j=e.FieldRef.fromString(O);i[O]=new e.MatchData}}for(var u=0;u<C.length;u++){var j=e.FieldRef.fromString(C[u]),D=j.docRef;if(R.contains(D)&&!F.contains(D)){var A,B=this.fieldVectors[j],V=n[j.fieldName].similarity(B);if(void 0!==(A=_[D]))A.score+=V,A.matchData.combine(i[j]);else{var z={ref:D,score:V,matchData:i[j]};_[D]=z,N.push(z)}}}return N.sort(function(e,t){return t.score-e.score})},e.Index.prototype.toJSON=function(){var t=Object.keys(this.invertedIndex).sort().map(function(e){return[e,this.invertedIndex[e]]},this),r=Object.keys(this.fieldVectors).map(function(e){return[e,this.fieldVectors[e].toJSON()]},this);return{version:e.version,fields:this.fields,fieldVectors:r,invertedIndex:t,pipeline:this.pipeline.toJSON()}},e.Index.load=function(t){var r={},i={},n=t.fieldVectors,s=Object.create(null),o=t.invertedIndex,a=new e.TokenSet.Builder,u=e.Pipeline.load(t.pipeline);t.version!=e.version&&e.utils.warn("Version mismatch when loading serialised index. Current version of lunr '"+e.version+"' does not match serialized index '"+t.version+"'");for(var l=0;l<n.length;l++){var c=n[l],h=c[0],d=c[1];i[h]=new e.Vector(d)}for(var l=0;l<o.length;l++){var c=o[l],f=c[0],p=c[1];a.insert(f),s[f]=p}return a.finish(),r.fields=t.fields,r.fieldVectors=i,r.invertedIndex=s,r.tokenSet=a.root,r.pipeline=u,new e.Index(r)},e.Builder=function(){this._ref="id",this._fields=Object.create(null),this._documents=Object.create(null),this.invertedIndex=Object.create(null),this.fieldTermFrequencies={},this.fieldLengths={},this.tokenizer=e.tokenizer,this.pipeline=new e.Pipeline,this.searchPipeline=new e.Pipeline,this.documentCount=0,this._b=.75,this._k1=1.2,this.termIndex=0,this.metadataWhitelist=[]},e.Builder.prototype.ref=function(e){this._ref=e},e.Builder.prototype.field=function(e,t){if(/\//.test(e))throw new RangeError("Field '"+e+"' contains illegal character '/'");this._fields[e]=t||{}},e.Builder.prototype.b=function(e){e<0?this._b=0:e>1?this._b=1:this._b=e},e.Builder.prototype.k1=function(e){this._k1=e},e.Builder.prototype.add=function(t,r){var i=t[this._ref],n=Object.keys(this._fields);this._documents[i]=r||{},this.documentCount+=1;for(var s=0;s<n.length;s++){var o=n[s],a=this._fields[o].extractor,u=a?a(t):t[o],l=this.tokenizer(u,{fields:[o]}),c=this.pipeline.run(l),h=new e.FieldRef(i,o),d=Object.create(null);this.fieldTermFrequencies[h]=d,this.fieldLengths[h]=0,this.fieldLengths[h]+=c.length;for(var f=0;f<c.length;f++){var p=c[f];if(void 0==d[p]&&(d[p]=0),d[p]+=1,void 0==this.invertedIndex[p]){var y=Object.create(null);y._index=this.termIndex,this.termIndex+=1;for(var m=0;m<n.length;m++)y[n[m]]=Object.create(null);this.invertedIndex[p]=y}void 0==this.invertedIndex[p][o][i]&&(this.invertedIndex[p][o][i]=Object.create(null));for(var v=0;v<this.metadataWhitelist.length;v++){var g=this.metadataWhitelist[v],x=p.metadata[g];void 0==this.invertedIndex[p][o][i][g]&&(this.invertedIndex[p][o][i][g]=[]),this.invertedIndex[p][o][i][g].push(x)}}}},e.Builder.prototype.calculateAverageFieldLengths=function(){for(var t=Object.keys(this.fieldLengths),r=t.length,i={},n={},s=0;s<r;s++){var o=e.FieldRef.fromString(t[s]),a=o.fieldName;n[a]||(n[a]=0),n[a]+=1,i[a]||(i[a]=0),i[a]+=this.fieldLengths[o]}for(var u=Object.keys(this._fields),s=0;s<u.length;s++){var l=u[s];i[l]=i[l]/n[l]}this.averageFieldLength=i},e.Builder.prototype.createFieldVectors=function(){for(var t={},r=Object.keys(this.fieldTermFrequencies),i=r.length,n=Object.create(null),s=0;s<i;s++){for(var o=e.FieldRef.fromString(r[s]),a=o.fieldName,u=this.fieldLengths[o],l=new e.Vector,c=this.fieldTermFrequencies[o],h=Object.keys(c),d=h.length,f=this._fields[a].boost||1,p=this._documents[o.docRef].boost||1,y=0;y<d;y++){var m,v,g,x=h[y],w=c[x],Q=this.invertedIndex[x]._index;void 0===n[x]?(m=e.idf(this.invertedIndex[x],this.documentCount),n[x]=m):m=n[x],v=m*((this._k1+1)*w)/(this._k1*(1-this._b+this._b*(u/this.averageFieldLength[a]))+w),v*=f,v*=p,g=Math.round(1e3*v)/1e3,l.insert(Q,g)}t[o]=l}this.fieldVectors=t},e.Builder.prototype.createTokenSet=function(){this.tokenSet=e.TokenSet.fromArray(Object.keys(this.invertedIndex).sort())},e.Builder.prototype.build=function(){return this.calculateAverageFieldLengths(),this.createFieldVectors(),this.createTokenSet(),new e.Index({invertedIndex:this.invertedIndex,fieldVectors:this.fieldVectors,tokenSet:this.tokenSet,fields:Object.keys(this._fields),pipeline:this.searchPipeline})},e.Builder.prototype.use=function(e){var t=Array.prototype.slice.call(arguments,1);t.unshift(this),e.apply(this,t)},e.MatchData=function(e,t,r){for(var i=Object.create(null),n=Object.keys(r||{}),s=0;s<n.length;s++){var o=n[s];i[o]=r[o].slice()}this.metadata=Object.create(null),void 0!==e&&(this.metadata[e]=Object.create(null),this.metadata[e][t]=i)},e.MatchData.prototype.combine=function(e){for(var t=Object.keys(e.metadata),r=0;r<t.length;r++){var i=t[r],n=Object.keys(e.metadata[i]);void 0==this.metadata[i]&&(this.metadata[i]=Object.create(null));for(var s=0;s<n.length;s++){var o=n[s],a=Object.keys(e.metadata[i][o]);void 0==this.metadata[i][o]&&(this.metadata[i][o]=Object.create(null));for(var u=0;u<a.length;u++){var l=a[u];void 0==this.metadata[i][o][l]?this.metadata[i][o][l]=e.metadata[i][o][l]:this.metadata[i][o][l]=this.metadata[i][o][l].concat(e.metadata[i][o][l])}}}},e.MatchData.prototype.add=function(e,t,r){if(!(e in this.metadata))return this.metadata[e]=Object.create(null),void(this.metadata[e][t]=r);if(!(t in this.metadata[e]))return void(this.metadata[e][t]=r);for(var i=Object.keys(r),n=0;n<i.length;n++){var s=i[n];s in this.metadata[e][t]?this.metadata[e][t][s]=this.metadata[e][t][s].concat(r[s]):this.metadata[e][t][s]=r[s]}},e.Query=function(e){this.clauses=[],this.allFields=e},e.Query.wildcard=new String("*"),e.Query.wildcard.NONE=0,e.Query.wildcard.LEADING=1,e.Query.wildcard.TRAILING=2,e.Query.presence={OPTIONAL:1,REQUIRED:2,PROHIBITED:3},e.Query.prototype.clause=function(t){return"fields"in t||(t.fields=this.allFields),"boost"in t||(t.boost=1),"usePipeline"in t||(t.usePipeline=!0),"wildcard"in t||(t.wildcard=e.Query.wildcard.NONE),t.wildcard&e.Query.wildcard.LEADING&&t.term.charAt(0)!=e.Query.wildcard&&(t.term="*"+t.term),t.wildcard&e.Query.wildcard.TRAILING&&t.term.slice(-1)!=e.Query.wildcard&&(t.term=""+t.term+"*"),"presence"in t||(t.presence=e.Query.presence.OPTIONAL),this.clauses.push(t),this},e.Query.prototype.isNegated=function(){for(var t=0;t<this.clauses.length;t++)if(this.clauses[t].presence!=e.Query.presence.PROHIBITED)return!1;return!0},e.Query.prototype.term=function(t,r){if(Array.isArray(t))return t.forEach(function(t){this.term(t,e.utils.clone(r))},this),this;var i=r||{};return i.term=t.toString(),this.clause(i),this},e.QueryParseError=function(e,t,r){this.name="QueryParseError",this.message=e,this.start=t,this.end=r},e.QueryParseError.prototype=new Error,e.QueryLexer=function(e){this.lexemes=[],this.str=e,this.length=e.length,this.pos=0,this.start=0,this.escapeCharPositions=[]},e.QueryLexer.prototype.run=function(){for(var t=e.QueryLexer.lexText;t;)t=t(this)},e.QueryLexer.prototype.sliceString=function(){for(var e=[],t=this.start,r=this.pos,i=0;i<this.escapeCharPositions.length;i++)r=this.escapeCharPositions[i],e.push(this.str.slice(t,r)),t=r+1;return e.push(this.str.slice(t,this.pos)),this.escapeCharPositions.length=0,e.join("")},e.QueryLexer.prototype.emit=function(e){this.lexemes.push({type:e,str:this.sliceString(),start:this.start,end:this.pos}),this.start=this.pos},e.QueryLexer.prototype.escapeCharacter=function(){this.escapeCharPositions.push(this.pos-1),this.pos+=1},e.QueryLexer.prototype.next=function(){if(this.pos>=this.length)return e.QueryLexer.EOS;var t=this.str.charAt(this.pos);return this.pos+=1,t},e.QueryLexer.prototype.width=function(){return this.pos-this.start},e.QueryLexer.prototype.ignore=function(){this.start==this.pos&&(this.pos+=1),this.start=this.pos},e.QueryLexer.prototype.backup=function(){this.pos-=1},e.QueryLexer.prototype.acceptDigitRun=function(){var t,r;do t=this.next(),r=t.charCodeAt(0);while(r>47&&r<58);t!=e.QueryLexer.EOS&&this.backup()},e.QueryLexer.prototype.more=function(){return this.pos<this.length},e.QueryLexer.EOS="EOS",e.QueryLexer.FIELD="FIELD",e.QueryLexer.TERM="TERM",e.QueryLexer.EDIT_DISTANCE="EDIT_DISTANCE",e.QueryLexer.BOOST="BOOST",e.QueryLexer.PRESENCE="PRESENCE",e.QueryLexer.lexField=function(t){return t.backup(),t.emit(e.QueryLexer.FIELD),t.ignore(),e.QueryLexer.lexText},e.QueryLexer.lexTerm=function(t){if(t.width()>1&&(t.backup(),t.emit(e.QueryLexer.TERM)),t.ignore(),t.more())return e.QueryLexer.lexText},e.QueryLexer.lexEditDistance=function(t){return t.ignore(),t.acceptDigitRun(),t.emit(e.QueryLexer.EDIT_DISTANCE),e.QueryLexer.lexText},e.QueryLexer.lexBoost=function(t){return t.ignore(),t.acceptDigitRun(),t.emit(e.QueryLexer.BOOST),e.QueryLexer.lexText},e.QueryLexer.lexEOS=function(t){t.width()>0&&t.emit(e.QueryLexer.TERM)},e.QueryLexer.termSeparator=e.tokenizer.separator,e.QueryLexer.lexText=function(t){for(;;){var r=t.next();if(r==e.QueryLexer.EOS)return e.QueryLexer.lexEOS;if(92!=r.charCodeAt(0)){if(":"==r)return e.QueryLexer.lexField;if("~"==r)return t.backup(),t.width()>0&&t.emit(e.QueryLexer.TERM),e.QueryLexer.lexEditDistance;if("^"==r)return t.backup(),t.width()>0&&t.emit(e.QueryLexer.TERM),e.QueryLexer.lexBoost;if("+"==r&&1===t.width())return t.emit(e.QueryLexer.PRESENCE),e.QueryLexer.lexText;if("-"==r&&1===t.width())return t.emit(e.QueryLexer.PRESENCE),e.QueryLexer.lexText;if(r.match(e.QueryLexer.termSeparator))return e.QueryLexer.lexTerm}else t.escapeCharacter()}},e.QueryParser=function(t,r){this.lexer=new e.QueryLexer(t),this.query=r,this.currentClause={},this.lexemeIdx=0},e.QueryParser.prototype.parse=function(){this.lexer.run(),this.lexemes=this.lexer.lexemes;for(var t=e.QueryParser.parseClause;t;)t=t(this);return this.query},e.QueryParser.prototype.peekLexeme=function(){return this.lexemes[this.lexemeIdx]},e.QueryParser.prototype.consumeLexeme=function(){var e=this.peekLexeme();return this.lexemeIdx+=1,e},e.QueryParser.prototype.nextClause=function(){var e=this.currentClause;this.query.clause(e),this.currentClause={}},e.QueryParser.parseClause=function(t){var r=t.peekLexeme();if(void 0!=r)switch(r.type){case e.QueryLexer.PRESENCE:return e.QueryParser.parsePresence;case e.QueryLexer.FIELD:return e.QueryParser.parseField;case e.QueryLexer.TERM:return e.QueryParser.parseTerm;default:var i="expected either a field or a term, found "+r.type;throw r.str.length>=1&&(i+=" with value '"+r.str+"'"),new e.QueryParseError(i,r.start,r.end)}},e.QueryParser.parsePresence=function(t){var r=t.consumeLexeme();if(void 0!=r){switch(r.str){case"-":t.currentClause.presence=e.Query.presence.PROHIBITED;break;case"+":t.currentClause.presence=e.Query.presence.REQUIRED;break;default:var i="unrecognised presence operator'"+r.str+"'";throw new e.QueryParseError(i,r.start,r.end)}var n=t.peekLexeme();if(void 0==n){var i="expecting term or field, found nothing";throw new e.QueryParseError(i,r.start,r.end)}switch(n.type){case e.QueryLexer.FIELD:return e.QueryParser.parseField;case e.QueryLexer.TERM:return e.QueryParser.parseTerm;default:var i="expecting term or field, found '"+n.type+"'";throw new e.QueryParseError(i,n.start,n.end)}}},e.QueryParser.parseField=function(t){var r=t.consumeLexeme();if(void 0!=r){if(t.query.allFields.indexOf(r.str)==-1){var i=t.query.allFields.map(function(e){return"'"+e+"'"}).join(", "),n="unrecognised field '"+r.str+"', possible fields: "+i;throw new e.QueryParseError(n,r.start,r.end)}t.currentClause.fields=[r.str];var s=t.peekLexeme();if(void 0==s){var n="expecting term, found nothing";throw new e.QueryParseError(n,r.start,r.end)}switch(s.type){case e.QueryLexer.TERM:return e.QueryParser.parseTerm;default:var n="expecting term, found '"+s.type+"'";throw new e.QueryParseError(n,s.start,s.end)}}},e.QueryParser.parseTerm=function(t){var r=t.consumeLexeme();if(void 0!=r){t.currentClause.term=r.str.toLowerCase(),r.str.indexOf("*")!=-1&&(t.currentClause.usePipeline=!1);var i=t.peekLexeme();if(void 0==i)return void t.nextClause();switch(i.type){case e.QueryLexer.TERM:return t.nextClause(),e.QueryParser.parseTerm;case e.QueryLexer.FIELD:return t.nextClause(),e.QueryParser.parseField;case e.QueryLexer.EDIT_DISTANCE:return e.QueryParser.parseEditDistance;case e.QueryLexer.BOOST:return e.QueryParser.parseBoost;case e.QueryLexer.PRESENCE:return t.nextClause(),e.QueryParser.parsePresence;default:var n="Unexpected lexeme type '"+i.type+"'";throw new e.QueryParseError(n,i.start,i.end)}}},e.QueryParser.parseEditDistance=function(t){var r=t.consumeLexeme();if(void 0!=r){var i=parseInt(r.str,10);if(isNaN(i)){var n="edit distance must be numeric";throw new e.QueryParseError(n,r.start,r.end)}t.currentClause.editDistance=i;var s=t.peekLexeme();if(void 0==s)return void t.nextClause();switch(s.type){case e.QueryLexer.TERM:return t.nextClause(),e.QueryParser.parseTerm;case e.QueryLexer.FIELD:return t.nextClause(),e.QueryParser.parseField;case e.QueryLexer.EDIT_DISTANCE:return e.QueryParser.parseEditDistance;case e.QueryLexer.BOOST:return e.QueryParser.parseBoost;case e.QueryLexer.PRESENCE:return t.nextClause(),e.QueryParser.parsePresence;default:var n="Unexpected lexeme type '"+s.type+"'";throw new e.QueryParseError(n,s.start,s.end)}}},e.QueryParser.parseBoost=function(t){var r=t.consumeLexeme();if(void 0!=r){var i=parseInt(r.str,10);if(isNaN(i)){var n="boost must be numeric";throw new e.QueryParseError(n,r.start,r.end)}t.currentClause.boost=i;var s=t.peekLexeme();if(void 0==s)return void t.nextClause();switch(s.type){case e.QueryLexer.TERM:return t.nextClause(),e.QueryParser.parseTerm;case e.QueryLexer.FIELD:return t.nextClause(),e.QueryParser.parseField;case e.QueryLexer.EDIT_DISTANCE:return e.QueryParser.parseEditDistance;case e.QueryLexer.BOOST:return e.QueryParser.parseBoost;case e.QueryLexer.PRESENCE:return t.nextClause(),e.QueryParser.parsePresence;default:var n="Unexpected lexeme type '"+s.type+"'";throw new e.QueryParseError(n,s.start,s.end)}}},function(e,t){"function"==typeof define&&define.amd?define(t):"object"==typeof exports?module.exports=t():e.lunr=t()}(this,function(){return e})}();

;
// The split search index that sitegen/search/files.py writes, read with lunr.js.
// search/index.json (loaded with the page) holds what results show, each document's field
// lengths, the sorted vocabulary and where each shard of postings starts;
// search/shards/<digest>.json hold the postings (how often each document holds a term) and the
// positions in titles and abstracts, fetched when a query needs one of their terms. Both are
// read by name, as sitegen/schemas/search-index.schema.json and search-shard.schema.json
// describe them. Words become terms with lunr.js's own pipeline; a term's postings become
// the field-vector scores lunr.js's Builder would give them, and terms are scored as
// lunr.Index.query scores them, from the postings of the query's own terms only: lunr's
// score is a dot product with the query vector, so no other term counts. What a query means
// (search-words.js) and how its papers rank (search-rank.js) build on this class.
(function () {
  "use strict";
  const COMBINING = /[\u0300-\u036f]/g;
  const WORD_SPLIT = /[^\p{L}\p{N}]+/u;
  const PREFIX = 3;  // shortest word that also matches as a prefix
  const NONE = Object.freeze({});  // lunr only copies posting metadata: one empty object
  const FORMAT = 6;  // the data layout this script reads: `format` in search/index.json

  // A model name, an optional separator and a version ("Llama-3.1" -> llama, 3).
  function modelPattern(names, capture) {
    const sorted = names.slice().sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
    const open = capture ? "(" : "(?:";
    return "(?<![\\p{L}\\p{N}])" + open + sorted.join("|") + ")[\\s_\\u2010-\\u2015-]*v?" + open +
      "[0-9]+)(?:\\.[0-9]+)*(?![\\p{L}\\p{N}])";
  }

  // The first position in the sorted `list` whose value is not below `value`.
  function lowerBound(list, value) {
    let low = 0, high = list.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (list[middle] < value) low = middle + 1; else high = middle;
    }
    return low;
  }

  // Equal, or one edit apart: a letter inserted, deleted or changed, or two neighbours swapped.
  function oneEditApart(a, b) {
    if (a.length > b.length) [a, b] = [b, a];
    if (b.length - a.length > 1) return false;
    let i = 0;
    while (i < a.length && a[i] === b[i]) i++;
    if (a.length < b.length) return a.slice(i) === b.slice(i + 1);
    if (i === a.length || a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }

  class PaperIndex {
    constructor(head, indexUrl) {
      if (head.format !== FORMAT) {
        throw new Error(`search data of format ${head.format}, not ${FORMAT}`);
      }
      this.fields = head.fields;
      this.boosts = head.boosts;
      this.bm25 = head.bm25;
      this.fieldLengths = head.lengths;  // per field, each document's number of terms
      this.averages = head.lengths.map((lengths) =>
        lengths.reduce((sum, length) => sum + length, 0) / lengths.length);
      this.positioned = head.positions.map((field) => this.fields.indexOf(field));
      this.count = head.documents.id.length;  // documents are numbered 0 to count - 1
      this.titles = head.documents.title;
      this.vocabulary = head.terms ? head.terms.split("\n") : [];
      this.starts = head.shards.start;
      this.files = head.shards.file;  // each shard's file, named by its contents
      this.indexUrl = new URL(indexUrl, location.href);
      this.shards = new Map();  // shard number -> promise of it being loaded
      this.loaded = new Map();  // shard number -> its entries, one per term
      this.decoded = new Map();  // term number -> per field [documents, scores]
      this.placed = new Map();  // term number -> per positioned field, its decoded positions
      this.lengths = null;  // term length -> term numbers (`termsByLength`)
      this.stems = new Map();  // word -> term; the stemmer is the costly step
      this.acronyms = new Map(Object.entries(head.acronyms));  // term -> long forms' terms
      const names = head.modelNames;
      this.models = names.length ? new RegExp(modelPattern(names, true), "gu") : null;
      // Words of a title to highlight; a model name with its version counts as one word.
      this.segments = new RegExp((names.length ? modelPattern(names, false) + "|" : "") +
        "[\\p{L}\\p{N}]+", "giu");
    }

    // The text pipeline of sitegen/search/analysis.py, step for step.
    term(word) {
      if (!word) return "";
      let term = this.stems.get(word);
      if (term === undefined) {
        const kept = lunr.stopWordFilter(new lunr.Token(word));
        term = kept ? lunr.stemmer(kept).toString() : "";
        this.stems.set(word, term);
      }
      return term;
    }

    // A text's words, folded, with model names joined to their version, before stemming.
    words(text) {
      let folded = text.normalize("NFKD").replace(COMBINING, "").toLowerCase();
      if (this.models) folded = folded.replace(this.models, "$1$2");
      return folded.split(WORD_SPLIT).filter(Boolean);
    }

    tokens(text) {
      return this.words(text).map((w) => this.term(w)).filter(Boolean);
    }

    number(term) {
      const i = lowerBound(this.vocabulary, term);
      return this.vocabulary[i] === term ? i : -1;
    }

    // An exact, prefix or one-typo form of a word; a version ("llama2") is nobody's typo.
    // Prefixes count from three letters: "co" begins thousands of terms in a large catalogue.
    expansions(word, last) {
      const found = new Set();
      const exact = this.number(word);
      if (exact >= 0) found.add(exact);
      if (word.length >= PREFIX) this.prefixed(word).forEach((i) => found.add(i));
      if (word.length >= 5 && !/[0-9]/.test(word)) this.typos(word).forEach((i) => found.add(i));
      if (last && !found.size) {  // a word still being typed, whose stem is shorter than it
        for (let k = word.length - 1; k >= Math.max(4, word.length - 4); k--) {
          const i = this.number(word.slice(0, k));
          if (i >= 0) found.add(i);
        }
      }
      return found;
    }

    // The long forms of an acronym the catalogue defines ("cot": "chain of thought"), each
    // as the term numbers that must stand in sequence; those with a term no paper holds left
    // out (sitegen/search/acronyms.py).
    spelledOut(term) {
      return (this.acronyms.get(term) || []).map((terms) => terms.map((t) => this.number(t)))
        .filter((numbers) => numbers.every((i) => i >= 0));
    }

    // The terms that begin with `word` (itself included).
    prefixed(word) {
      const found = [];
      for (let i = lowerBound(this.vocabulary, word); this.vocabulary[i]?.startsWith(word); i++) found.push(i);
      return found;
    }

    typos(word) {
      const lengths = this.termsByLength(), found = [];
      for (let length = word.length - 1; length <= word.length + 1; length++) {
        for (const i of lengths.get(length) || []) {
          if (oneEditApart(word, this.vocabulary[i])) found.push(i);
        }
      }
      return found;
    }

    // The term numbers by the term's length, made the first time they are needed.
    termsByLength() {
      if (!this.lengths) {
        this.lengths = new Map();
        this.vocabulary.forEach((term, i) => {
          const same = this.lengths.get(term.length);
          if (same) same.push(i); else this.lengths.set(term.length, [i]);
        });
      }
      return this.lengths;
    }

    shardOf(i) {
      return lowerBound(this.starts, i + 1) - 1;
    }

    // Fetch (once) every shard holding one of these term numbers.
    load(numbers) {
      const wanted = new Set([...numbers].map((i) => this.shardOf(i)));
      return Promise.all([...wanted].map((k) => {
        if (!this.shards.has(k)) {
          const url = new URL(`shards/${this.files[k]}.json`, this.indexUrl);
          this.shards.set(k, fetch(url).then((response) => {
            if (!response.ok) throw new Error(`HTTP ${response.status} for ${url.pathname}`);
            return response.json();
          }).then((entries) => { this.loaded.set(k, entries); }, (error) => {
            this.shards.delete(k);  // the next query tries again
            throw error;
          }));
        }
        return this.shards.get(k);
      }));
    }

    // A term's postings, once its shard is loaded: per field, the documents (ascending) and
    // their scores, as lunr.Builder's createFieldVectors computes them from the counts:
    // idf * (k1 + 1) * tf / (k1 * (1 - b + b * length / average) + tf) * boost, in thousandths.
    postings(i) {
      let found = this.decoded.get(i);
      if (!found) {
        const flats = this.entry(i).slice(0, this.fields.length);
        const holders = flats.reduce((sum, flat) => sum + flat.length / 2, 0);
        const idf = this.idf(holders), { k1, b } = this.bm25;
        found = flats.map((flat, slot) => {
          const documents = [], scores = [], boost = this.boosts[slot];
          const lengths = this.fieldLengths[slot], average = this.averages[slot];
          for (let j = 0, doc = 0; j < flat.length; j += 2) {
            doc += flat[j];
            const tf = flat[j + 1];
            let score = idf * ((k1 + 1) * tf) / (k1 * (1 - b + b * (lengths[doc] / average)) + tf);
            score *= boost;
            documents.push(doc);
            scores.push(Math.round(score * 1000) / 1000);
          }
          return [documents, scores];
        });
        this.decoded.set(i, found);
      }
      return found;
    }

    // lunr.idf: a document counts once for each field holding the term.
    idf(holders) {
      const x = (this.count - holders + 0.5) / (holders + 0.5);
      return Math.log(1 + Math.abs(x));
    }

    entry(i) {
      const k = this.shardOf(i);
      return this.loaded.get(k)[i - this.starts[k]];
    }

    // Where a term stands in the j-th positioned field: the k-th document of that field's
    // postings holds it at positions flat[offsets[k]] to flat[offsets[k + 1]] (ascending).
    places(i, j) {
      let found = this.placed.get(i);
      if (!found) this.placed.set(i, found = []);
      if (!found[j]) {
        const runs = this.entry(i)[this.fields.length + j];
        const count = this.postings(i)[this.positioned[j]][0].length;
        const offsets = new Int32Array(count + 1), flat = new Int32Array(runs.length - count);
        for (let r = 0, k = 0, n = 0; k < count; k++) {
          const times = runs[r++];
          offsets[k] = n;
          for (let t = 0, at = 0; t < times; t++) flat[n++] = at += runs[r++];
          offsets[k + 1] = n;
        }
        found[j] = { offsets, flat };
      }
      return found[j];
    }

    // The papers holding any of these (loaded) terms, in any field.
    papersWith(numbers) {
      const papers = new Set();
      for (const i of numbers) {
        for (const [documents] of this.postings(i)) documents.forEach((d) => papers.add(d));
      }
      return papers;
    }

    // lunr.Index.query's score for term clauses (term number -> boost), summed over postings,
    // for every paper (0 where no term is), and the papers holding a term (`touched`).
    // lunr scores a field by the dot product of the query vector (each term's boost) with the
    // field vector, over the query vector's length, and adds up the fields; lunr itself does
    // it with objects made per matching field (FieldRef, MatchData, lunr.Set), which took
    // most of a second for broad queries over 50,000 papers.
    scores(boosts) {
      const length = Math.sqrt([...boosts.values()].reduce((sum, b) => sum + b * b, 0));
      const score = new Float64Array(this.count), seen = new Uint8Array(this.count), touched = [];
      for (const [i, boost] of boosts) {
        for (const [documents, scores] of this.postings(i)) {
          for (let k = 0; k < documents.length; k++) {
            const doc = documents[k];
            if (!seen[doc]) { seen[doc] = 1; touched.push(doc); }
            score[doc] += boost * scores[k] / length;
          }
        }
      }
      return { score, touched };
    }

    // The papers holding a term, best first by `scores`; ties go to the older paper.
    rank(boosts) {
      const { score, touched } = this.scores(boosts);
      return touched.map((doc) => ({ doc, score: score[doc] }))
        .sort((a, b) => b.score - a.score || a.doc - b.doc);
    }

    // A lunr.Index over the given terms (every term when none are given), as lunr's own
    // Builder would have made it, minus the other terms' entries.
    async lunrIndex(numbers = this.vocabulary.keys()) {
      const sorted = [...numbers].sort((a, b) => a - b);
      await this.load(sorted);
      const invertedIndex = Object.create(null), elements = new Map();
      for (const i of sorted) {
        const posting = { _index: i };
        this.postings(i).forEach(([documents, scores], slot) => {
          const field = this.fields[slot], holders = posting[field] = {};
          documents.forEach((doc, k) => {
            const ref = doc.toString(36), key = field + "/" + ref;
            holders[ref] = NONE;
            const vector = elements.get(key);
            if (vector) vector.push(i, scores[k]); else elements.set(key, [i, scores[k]]);
          });
        });
        invertedIndex[this.vocabulary[i]] = posting;
      }
      const fieldVectors = Object.create(null);
      for (const [key, vector] of elements) fieldVectors[key] = new lunr.Vector(vector);
      const tokenSet = lunr.TokenSet.fromArray(sorted.map((i) => this.vocabulary[i]));
      return new lunr.Index({ invertedIndex, fieldVectors, tokenSet, fields: this.fields,
        pipeline: new lunr.Pipeline() });
    }

    // The query's hits, best first (search-rank.js); null when `stale()` says a newer
    // query has come meanwhile.
    search(query, stale = () => false) {
      return window.PaperSearch.search(this, query, stale);
    }
  }

  window.PaperIndex = PaperIndex;
})();

;
// What a query asks for, in the terms of the index (search-index.js's PaperIndex): its words,
// each with the terms it may match, the quoted phrases, and the names it may mean joined or
// split. Joined and split names come from the catalogue's own vocabulary (every word of its
// titles, abstracts, family and topic names, model names with their versions), never from a
// list: "llamaguard" is "llama" + "guard" because both are indexed words, and "tiny llava"
// may mean "tinyllava" because that is one.
(function () {
  "use strict";
  const QUOTES = /["\u201c\u201d\u201e\u201f\u00ab\u00bb]/;  // a phrase is quoted with any of these
  const MAX_WORDS = 20;  // words searched; a longer query is cut, and the page says so
  const SPLIT = [4, 32];  // lengths of a word that may be two or three names run together
  const PART = 2;  // the shortest part of such a word
  const MAX_SPLITS = 6;  // ways to split one word, the most even first
  const RARE = 0.01;  // a word held by fewer papers than this share may be names run together
  const NUMBER = /^[0-9]+$/;
  const STOP = -2;  // a part that is a stop word (-1: a part that is no indexed word)
  const PREFIX = 3;  // shortest word that also matches as a prefix (as in search-index.js)
  const CORRECT = [5, 20];  // lengths of an unknown word whose one-letter slips are undone
  const LETTERS = "abcdefghijklmnopqrstuvwxyz";

  // British and American spellings of the same word, both ways: a query word's other
  // spelling counts as typed when the catalogue holds it ("optimisation", "behaviour").
  const SPELLINGS = [
    [/([a-z]{2}[iy])s(e|es|ed|er|ers|ing|ation|ations|ational)$/, "$1z$2"],
    [/([a-z]{2}[iy])z(e|es|ed|er|ers|ing|ation|ations|ational)$/, "$1s$2"],
    [/([a-z]{3})our(s|ed|ing|al|ally|ful|ite|ites|able|less)?$/, "$1or$2"],
    [/([a-z]{3})or(s|ed|ing|al|ally|ful|ite|ites|able|less)?$/, "$1our$2"],
    [/([a-z]{2}[bt])re(s|d)?$/, "$1er$2"],
    [/([a-z]{2}[bt])er(s|ed)?$/, "$1re$2"],
    [/([a-z]{3})ogue(s)?$/, "$1og$2"],
    [/([a-z]{3})og(s)?$/, "$1ogue$2"],
    [/([a-z]{3})ence(s)?$/, "$1ense$2"],
    [/([a-z]{3})ense(s)?$/, "$1ence$2"],
    [/([a-z])[ao]e([a-z]{2})/, "$1e$2"],
    [/(gra)mme(s)?$/, "$1m$2"],
    [/(gram)(s)?$/, "$1me$2"],
    [/dgement(s)?$/, "dgment$1"],
    [/dgment(s)?$/, "dgement$1"],
  ];

  // The query cut at its quotes: odd parts are quoted; a quote left open runs to the end.
  function segments(query) {
    const parts = query.split(QUOTES);
    return parts.map((text, k) => ({ text, quoted: k % 2 === 1,
      open: k % 2 === 1 && k === parts.length - 1 }));
  }

  // lunr's query syntax, read in the unquoted parts of a query: `-word` leaves out the papers
  // holding the word (its words go to `excluded`); a required mark (`+word`), a field
  // (`title:word`), a boost (`word^10`), an edit distance (`word~1`) and a wildcard
  // (`word*`) are dropped, leaving the word, which is searched as any other.
  function syntax(engine, text, excluded) {
    return text.split(/(\s+)/).map((token) => {
      let word = token.startsWith("+") ? token.slice(1) : token;
      const out = word.length > 1 && word.startsWith("-");
      if (out) word = word.slice(1);
      const colon = word.indexOf(":");
      if (colon > 0 && engine.fields.includes(word.slice(0, colon))) word = word.slice(colon + 1);
      word = word.replace(/[\^~][0-9]*$/, "");
      let end = word.length;
      while (end && word[end - 1] === "*") end--;  // (a pattern \*+$ takes quadratic time)
      word = word.slice(0, end);
      if (!out) return word;
      excluded.push(...engine.words(word));
      return " ";
    }).join("");
  }

  // The term numbers of a word spelled the other way, where the catalogue has them.
  function spellings(engine, raw) {
    const found = new Set();
    for (const [pattern, replacement] of SPELLINGS) {
      if (!pattern.test(raw)) continue;
      const term = engine.term(raw.replace(pattern, replacement));
      const i = term ? engine.number(term) : -1;
      if (i >= 0) found.add(i);
    }
    return found;
  }

  // A word's terms: `exact` (as typed, or spelled the other way) and `all` (with prefixes
  // and typos, as PaperIndex.expansions finds them; quoted words match exactly, but the last
  // word of a quote still open may be a prefix, being typed).
  function forms(engine, unit, last) {
    const exact = spellings(engine, unit.raw);
    const own = engine.number(unit.term);
    if (own >= 0) exact.add(own);
    const all = new Set(exact);
    if (!unit.quoted) {
      engine.expansions(unit.term, last).forEach((i) => all.add(i));
      if (!exact.size) corrections(engine, unit.raw).forEach((i) => all.add(i));
    } else if (unit.open && last && unit.term.length >= PREFIX) {
      engine.prefixed(unit.term).forEach((i) => all.add(i));
    }
    return { exact, all };
  }

  // The terms of the words one slip away from a word the catalogue lacks (a letter left out,
  // added, changed, or two swapped), stemmed: "tokenizaton" -> "tokenization" -> "token".
  // Typos of its stem (PaperIndex.typos) miss these when the slip keeps the stemmer from
  // removing a suffix, or when the stems differ by more than the slip.
  function corrections(engine, raw) {
    const found = new Set(), tried = new Set();
    if (raw.length < CORRECT[0] || raw.length > CORRECT[1] || /[^a-z]/.test(raw)) return found;
    const attempt = (word) => {
      if (tried.has(word)) return;
      tried.add(word);
      const term = engine.term(word), i = term ? engine.number(term) : -1;
      if (i >= 0) found.add(i);
    };
    for (let k = 0; k <= raw.length; k++) {
      const head = raw.slice(0, k), tail = raw.slice(k);
      if (tail) attempt(head + tail.slice(1));
      if (tail.length > 1) attempt(head + tail[1] + tail[0] + tail.slice(2));
      for (const letter of LETTERS) {
        attempt(head + letter + tail);
        if (tail) attempt(head + letter + tail.slice(1));
      }
    }
    return found;
  }

  // A part of a word: its term number, STOP for a stop word, -1 for no indexed word.
  function part(engine, text) {
    const term = engine.term(text);
    return term ? engine.number(term) : STOP;
  }

  // Whether a part of a word may stand for an indexed word: PART characters or more, or a
  // number ("4bit": "4", "bit").
  function fits(text) {
    return text.length >= PART || NUMBER.test(text);
  }

  // The ways a word is two or three indexed words run together, each as the term numbers
  // that must stand in sequence (a stop word between two names is left out, as the index
  // leaves it out: "mixtureofexperts" is "mixture", "experts").
  function splits(engine, raw) {
    if (raw.length < SPLIT[0] || raw.length > SPLIT[1]) return [];
    const heads = [], tails = [], found = [];
    for (let i = 1; i < raw.length; i++) {
      heads[i] = fits(raw.slice(0, i)) ? part(engine, raw.slice(0, i)) : -1;
      tails[i] = fits(raw.slice(i)) ? part(engine, raw.slice(i)) : -1;
    }
    for (let i = 1; i < raw.length; i++) {
      if (heads[i] < 0) continue;
      if (tails[i] >= 0) found.push({ terms: [heads[i], tails[i]], even: Math.min(i, raw.length - i) });
      for (let j = i + 1; j < raw.length; j++) {
        if (tails[j] < 0 || !fits(raw.slice(i, j))) continue;
        const middle = part(engine, raw.slice(i, j));
        if (middle === -1) continue;
        const terms = middle === STOP ? [heads[i], tails[j]] : [heads[i], middle, tails[j]];
        found.push({ terms, even: Math.min(i, j - i, raw.length - j) });
      }
    }
    found.sort((a, b) => b.even - a.even);
    return found.slice(0, MAX_SPLITS).map((s) => s.terms);
  }

  // Two or three neighbouring words of a segment typed apart that the catalogue writes as
  // one ("layer skip" -> "layerskip"), matched as typed or as a prefix ("smol lm" ->
  // "smollm2"). `units` are the words (by number) that the joined form stands for.
  function joins(engine, words, unitOf) {
    const found = [];
    for (let s = 0; s < words.length; s++) {
      for (let n = 2; n <= 3 && s + n <= words.length; n++) {
        const units = words.slice(s, s + n).map((_, k) => unitOf[s + k]).filter((u) => u >= 0);
        if (unitOf[s] < 0 || unitOf[s + n - 1] < 0 || units.length < 2) continue;
        const term = engine.term(words.slice(s, s + n).join(""));
        const terms = new Set(term ? engine.prefixed(term) : []);
        if (terms.size) found.push({ units, terms, exact: engine.number(term) });
      }
    }
    return found;
  }

  // The query as PaperSearch uses it: `units` (each word that is no stop word, in order,
  // with its forms; its splits come with `splitRare`; a word typed again is the same
  // object), `phrases` (the units of each quoted part, which must stand together,
  // in order), `joins`, `excluded` (the terms of the words marked `-word`, as typed or
  // spelled the other way), `text` (the query without lunr's syntax) and whether words
  // were left out (`truncated`).
  function plan(engine, query) {
    const units = [], phrases = [], joined = [], known = new Map(), out = [];
    let truncated = false;
    const parts = segments(query);
    for (const segment of parts) if (!segment.quoted) segment.text = syntax(engine, segment.text, out);
    for (const segment of parts) {
      const words = engine.words(segment.text), first = units.length;
      const unitOf = words.map((raw) => {
        const term = engine.term(raw), key = `${term} ${segment.quoted} ${segment.open}`;
        if (!term) return -1;
        if (units.length >= MAX_WORDS) { truncated = true; return -1; }
        if (!known.has(key)) known.set(key, { raw, term, quoted: segment.quoted, open: segment.open });
        units.push(known.get(key));  // a word typed twice is one object, worked out once
        return units.length - 1;
      });
      joined.push(...joins(engine, words, unitOf));
      if (segment.quoted && units.length - first > 1) {
        phrases.push(units.slice(first).map((_, k) => first + k));
      }
    }
    for (const unit of known.values()) {
      Object.assign(unit, forms(engine, unit, unit === units[units.length - 1]), { splits: [] });
    }
    const excluded = new Set(out.flatMap((raw) => {
      const term = engine.term(raw), own = term ? engine.number(term) : -1;
      return term ? [...spellings(engine, raw), ...(own >= 0 ? [own] : [])] : [];
    }));
    return { units, phrases, joins: joined, excluded, truncated, words: units.length + out.length,
      text: parts.map((segment) => segment.text).join(" ") };
  }

  // Once the shards of the plan's terms are loaded: the splits of each word that few papers
  // hold as typed ("llamaguard", in one abstract), which are likely names run together (a
  // common word, "reasoning", is taken as itself, not as "reason" + "ing"); and the long
  // forms of an acronym the catalogue defines, typed unquoted ("cot": "chain of thought").
  function splitRare(engine, plan) {
    for (const unit of new Set(plan.units)) {
      let held = 0;  // postings of its exact forms, over all fields: at least the papers
      for (const i of unit.exact) for (const [documents] of engine.postings(i)) held += documents.length;
      if (held < RARE * engine.count) unit.splits = splits(engine, unit.raw);
      if (!unit.quoted) unit.splits.push(...engine.spelledOut(unit.term));
    }
    return [...new Set(plan.units)].flatMap((unit) => unit.splits.flat());
  }

  window.PaperWords = { plan, splitRare, segments, spellings, splits, MAX_WORDS };
})();

;
// Where the words of a query stand together in the papers (search-rank.js uses it): which
// documents hold a term of each group one right after another, in a title or an abstract,
// and how many times, from the positions in search-index.js's shards. The documents of the
// group that the fewest hold are visited in ascending order, and the other groups' postings
// are walked with cursors that only move forward, galloping over long runs.
(function () {
  "use strict";

  // A group's terms as the j-th positioned field holds them: documents, positions, and a
  // cursor that only moves forward, as documents are visited in ascending order; `held`
  // lists the terms that hold the document being looked at (the first `size` of them).
  function located(engine, group, j) {
    const slot = engine.positioned[j];
    const terms = [...group].map((i) => ({ documents: engine.postings(i)[slot][0],
      ...engine.places(i, j), cursor: 0, k: 0 })).filter((term) => term.documents.length);
    return { terms, held: new Array(terms.length), size: 0 };
  }

  // The first place from `from` on whose document is not below `doc`: galloping, so that a
  // long list costs little when few of its documents are asked for.
  function seek(documents, from, doc) {
    if (from >= documents.length || documents[from] >= doc) return from;
    let low = from, high = from + 1, step = 1;  // documents[low] < doc all along
    while (high < documents.length && documents[high] < doc) {
      low = high;
      step *= 2;
      high = low + step;
    }
    high = Math.min(high, documents.length);
    while (low + 1 < high) {
      const middle = (low + high) >>> 1;
      if (documents[middle] < doc) low = middle; else high = middle;
    }
    return high;
  }

  // Finds the group's terms that `doc` holds; false if none.
  function holding(group, doc) {
    group.size = 0;
    for (const term of group.terms) {
      term.k = term.cursor = seek(term.documents, term.cursor, doc);
      if (term.documents[term.k] === doc) group.held[group.size++] = term;
    }
    return group.size > 0;
  }

  // Whether a held term of the group stands at position p (positions ascend in a run).
  function standsAt(group, p) {
    for (let r = 0; r < group.size; r++) {
      const { flat, offsets, k } = group.held[r];
      for (let x = offsets[k]; x < offsets[k + 1] && flat[x] <= p; x++) if (flat[x] === p) return true;
    }
    return false;
  }

  // How many times the groups' terms stand in sequence in one document: a term of groups[0]
  // at p, one of groups[1] at p + 1, and so on.
  function together(groups, doc) {
    for (const group of groups) if (!holding(group, doc)) return 0;
    let times = 0;
    const first = groups[0];
    for (let r = 0; r < first.size; r++) {
      const { flat, offsets, k } = first.held[r];
      for (let x = offsets[k]; x < offsets[k + 1]; x++) {
        let g = 1;
        while (g < groups.length && standsAt(groups[g], flat[x] + g)) g++;
        if (g === groups.length) times++;
      }
    }
    return times;
  }

  // The documents holding any of the group's terms, ascending.
  function union(group) {
    if (group.terms.length === 1) return group.terms[0].documents;
    return Int32Array.from(new Set(group.terms.flatMap((term) => [...term.documents]))).sort();
  }

  // Per positioned field, the documents whose field holds the groups' terms one right after
  // another, with how many times; visiting the documents of the group the fewest hold.
  function sequence(engine, groups) {
    return engine.positioned.map((_, j) => {
      const found = new Map(), here = groups.map((group) => located(engine, group, j));
      if (here.some((group) => !group.terms.length)) return found;
      const sizes = here.map((g) => g.terms.reduce((n, t) => n + t.documents.length, 0));
      for (const doc of union(here[sizes.indexOf(Math.min(...sizes))])) {
        const times = together(here, doc);
        if (times) found.set(doc, times);
      }
      return found;
    });
  }

  window.PaperSequence = { sequence };
})();

;
// Which papers a query finds and in what order, from the plan of search-words.js, the
// postings of search-index.js's PaperIndex and the sequences search-sequence.js finds:
// - every word must match one of its forms (as typed, spelled the other way, a prefix, one
//   typo), a split of it whose parts stand in sequence when few papers hold it as typed
//   ("llamaguard": "Llama Guard"), the long form of an acronym the catalogue defines ("cot":
//   "Chain-of-Thought"), or a joined form of it and its neighbours ("layer skip":
//   "LayerSkip"); words found in a fifth of all papers or more only rank; if no paper has
//   every word, papers with some as typed are shown (the most words first);
// - papers holding more of the words with no typo come first;
// - a quoted phrase matches only papers whose title or abstract holds its words in order;
// - the score is lunr's for the query's terms (a form typed exactly weighs ten times more),
//   plus, for each two neighbouring words (and each split word) found together and in order,
//   a score of their own, as lunr scores a term: its idf (from how many papers have them
//   together), the title's weight in a title and half of it in an abstract;
// - a paper whose title, or its part before the colon, is the query comes first.
(function () {
  "use strict";
  const COMMON = 0.2;  // a word in this share of papers or more does not have to match
  const EXACT = 10;  // the query boost of a form typed exactly (others: 1)
  const TOGETHER = { title: 10, abstract: 5 };  // weight of words found together, per field
  const K1 = 1.2;  // lunr's term frequency saturation

  const sequence = (...args) => window.PaperSequence.sequence(...args);

  // lunr's idf, for something `holding` papers of `count` have.
  function idf(holding, count) {
    return Math.log(1 + Math.abs((count - holding + 0.5) / (holding + 0.5)));
  }

  function mark(engine, numbers, marks) {
    for (const i of numbers) {
      for (const [documents] of engine.postings(i)) for (const doc of documents) marks[doc] = 1;
    }
  }

  function markFound(maps, marks) {
    for (const found of maps) found.forEach((_, doc) => { marks[doc] = 1; });
  }

  // A word's forms as typed: as typed or spelled the other way, or a word it begins ("tulu":
  // "tulu3"); not a typo ("mixtral": "mistral").
  function held(engine, unit) {
    return [...unit.all].filter((i) => unit.exact.has(i) || engine.vocabulary[i].startsWith(unit.term));
  }

  // A word's forms that begin it: the last word taken as still being typed ("generati":
  // "gener"), which may be a whole word ("imagery": "image").
  function begun(engine, unit) {
    return [...unit.all].filter((i) => unit.term.startsWith(engine.vocabulary[i]));
  }

  // For each word (once, however often typed), the papers it matches (1 by document): a form,
  // a split in sequence, or a joined form covering it; `held`, those it matches as typed;
  // and `typed`, those it matches with no slip (as typed, or as a word being typed).
  function matching(engine, plan, splitFound) {
    return [...splitFound.keys()].map((unit) => {
      const whole = new Uint8Array(engine.count);
      mark(engine, held(engine, unit), whole);
      splitFound.get(unit).forEach((maps) => markFound(maps, whole));
      for (const join of plan.joins) {
        if (join.units.some((u) => plan.units[u] === unit)) mark(engine, join.terms, whole);
      }
      const typed = whole.slice();
      mark(engine, begun(engine, unit), typed);
      const marks = typed.slice();
      mark(engine, unit.all, marks);
      return { marks, typed, held: whole };
    });
  }

  // For each quoted phrase, the papers holding its words in order, or a joined form of all.
  function phraseMarks(engine, plan) {
    return plan.phrases.map((units) => {
      const marks = new Uint8Array(engine.count);
      markFound(sequence(engine, units.map((u) => plan.units[u].all)), marks);
      for (const join of plan.joins) {
        if (units.every((u) => join.units.includes(u))) mark(engine, join.terms, marks);
      }
      return marks;
    });
  }

  // Adds the places of a joined form to the maps of the pair of words it joins.
  function addJoin(engine, join, maps) {
    engine.positioned.forEach((slot, j) => {
      for (const i of join.terms) {
        const { offsets } = engine.places(i, j);
        engine.postings(i)[slot][0].forEach((doc, k) => {
          maps[j].set(doc, (maps[j].get(doc) || 0) + offsets[k + 1] - offsets[k]);
        });
      }
    });
  }

  // Adds the documents of `other` to `maps` (per positioned field), keeping the most times.
  function merge(maps, other) {
    other.forEach((found, j) => found.forEach((times, doc) => {
      if (!(maps[j].get(doc) >= times)) maps[j].set(doc, times);
    }));
    return maps;
  }

  // The forms of a word that count for standing together with its neighbours: those typed
  // exactly (or spelled the other way), else its prefixes and typos (a word being typed, or
  // mistyped). Prefixes and typos of a known word, many in a large catalogue, do not count.
  function core(unit) {
    return unit.exact.size ? unit.exact : unit.all;
  }

  // The ways a word may stand in a text, as sequences of term groups: any of its forms, or
  // the parts of a split of it that some paper holds.
  function shapes(unit, splitFound) {
    return [[core(unit)], ...unit.splits.filter((_, s) => splitFound.get(unit)[s].some((m) => m.size))
      .map((terms) => terms.map((i) => [i]))];
  }

  // Two neighbouring words found together: in sequence (either may be split, as in
  // "continual pre-training" for "continual pretraining"), or joined.
  function pair(engine, plan, splitFound, u) {
    const maps = sequence(engine, [core(plan.units[u]), core(plan.units[u + 1])]);
    for (const a of shapes(plan.units[u], splitFound)) {
      for (const b of shapes(plan.units[u + 1], splitFound)) {
        if (a.length + b.length > 2) merge(maps, sequence(engine, [...a, ...b]));
      }
    }
    for (const join of plan.joins) {
      if (join.units.includes(u) && join.units.includes(u + 1)) addJoin(engine, join, maps);
    }
    return maps;
  }

  // What earns the bonus for words found together: each split word (its splits merged), and
  // each two neighbouring words. Per link, per positioned field: document -> times.
  function links(engine, plan, splitFound) {
    const found = [...splitFound.values()].filter((splits) => splits.length).map(
      (splits) => splits.reduce(merge, engine.positioned.map(() => new Map())));
    const pairs = new Map();  // each pair of words once, however often typed
    for (let u = 0; u + 1 < plan.units.length; u++) {
      const [a, b] = [plan.units[u], plan.units[u + 1]];
      if (!pairs.has(a)) pairs.set(a, new Set());
      if (pairs.get(a).has(b)) continue;
      pairs.get(a).add(b);
      found.push(pair(engine, plan, splitFound, u));
    }
    return found;
  }

  // Each paper's bonus: per link, its best field's BM25 score (without length
  // normalisation, which positions alone cannot give) times that field's weight.
  function bonuses(engine, linked) {
    const bonus = new Float64Array(engine.count);
    for (const maps of linked) {
      const best = new Map();
      maps.forEach((found, j) => {
        const weight = TOGETHER[engine.fields[engine.positioned[j]]] * idf(found.size, engine.count);
        found.forEach((times, doc) => {
          const value = weight * (K1 + 1) * times / (K1 + times);
          if (!(best.get(doc) >= value)) best.set(doc, value);
        });
      });
      best.forEach((value, doc) => { bonus[doc] += value; });
    }
    return bonus;
  }

  // lunr query boosts: each word's forms (typed exactly: EXACT, else 1) and joined forms.
  function weights(plan) {
    const boosts = new Map();
    const raise = (i, boost) => { if (!(boosts.get(i) >= boost)) boosts.set(i, boost); };
    for (const unit of plan.units) unit.all.forEach((i) => raise(i, unit.exact.has(i) ? EXACT : 1));
    for (const join of plan.joins) join.terms.forEach((i) => raise(i, i === join.exact ? EXACT : 1));
    return boosts;
  }

  // How many papers a word's marks hold.
  function counted(marks) {
    let n = 0;
    for (let doc = 0; doc < marks.length; doc++) n += marks[doc];
    return n;
  }

  // How many of `words` each paper has (`kind`: "marks", "typed" or "held"), 0 where it lacks
  // a phrase.
  function coverage(engine, words, phrases, kind) {
    const covered = new Uint8Array(engine.count);
    for (const word of words) for (let doc = 0; doc < engine.count; doc++) covered[doc] += word[kind][doc];
    for (const marks of phrases) for (let doc = 0; doc < engine.count; doc++) covered[doc] *= marks[doc];
    return covered;
  }

  // Papers with every required word and every phrase; or, when none has every word, the
  // papers with some of the words as typed (most words first: a word no paper holds is no
  // slip of another, and slips of the rest alone are noise, "knitting" for "knit", as are
  // the shorter words a word may be on its way to, "imagery" for "image"). Papers
  // with more words free of slips come before those that match them only by a typo
  // ("mixtral" before "Mistral"), then the better score, then the older paper.
  function select(engine, words, phrases, score) {
    const common = words.map((word) => counted(word.marks) >= COMMON * engine.count);
    const required = common.every(Boolean) ? words : words.filter((_, u) => !common[u]);
    const typed = coverage(engine, words, [], "typed");
    const order = (a, b) => typed[b.doc] - typed[a.doc] || b.score - a.score || a.doc - b.doc;
    const covered = coverage(engine, required, phrases, "marks");
    const complete = [];
    for (let doc = 0; doc < engine.count; doc++) {
      if (covered[doc] === required.length) complete.push({ doc, score: score[doc] });
    }
    if (complete.length || words.length <= 1) return { hits: complete.sort(order), partial: false };
    const some = coverage(engine, words, phrases, "held"), hits = [];
    for (let doc = 0; doc < engine.count; doc++) if (some[doc]) hits.push({ doc, score: score[doc] });
    hits.sort((a, b) => some[b.doc] - some[a.doc] || order(a, b));
    return { hits, partial: hits.length > 0 };
  }

  // A text's terms, and its words run together ("Tiny LLaVA" and "TinyLLaVA" agree).
  function titleKeys(engine, text) {
    const words = engine.words(text);
    return [words.map((w) => engine.term(w)).filter(Boolean).join(" "), words.join("")];
  }

  // A title, and its part before the colon if it has one.
  function titleParts(title) {
    const colon = title.indexOf(":");
    return colon > 0 ? [title, title.slice(0, colon)] : [title];
  }

  // The keys of a paper's title part (0: the title, 1: its part before the colon), worked
  // out once a part, and only for parts about as long as some query.
  const titles = new WeakMap();  // engine -> keys by document, then by part
  function keysOf(engine, doc, part, text) {
    if (!titles.has(engine)) titles.set(engine, []);
    const known = titles.get(engine);
    known[doc] ??= [];
    known[doc][part] ??= titleKeys(engine, text);
    return known[doc][part];
  }

  // The hits whose title, or its part before the colon, is the query, moved first: the same
  // words as typed first, then the same terms ("Me LLaMA" is "llama" without its stop word).
  // Only title parts about as long as the query are looked at.
  function titleFirst(engine, query, hits) {
    const [terms, run] = titleKeys(engine, query);
    const near = (text) => Math.abs(text.length - query.length) <= 8 + query.length / 2;
    const tier = new Map();
    for (const hit of hits) {
      let found = 0;
      titleParts(engine.titles[hit.doc]).forEach((text, part) => {
        if (!near(text)) return;
        const [partTerms, partRun] = keysOf(engine, hit.doc, part, text);
        found = Math.max(found, partRun === run ? 2 : partTerms === terms ? 1 : 0);
      });
      if (found) tier.set(hit, found);
    }
    const first = [...tier.keys()].sort((a, b) => tier.get(b) - tier.get(a));
    return first.length ? [...first, ...hits.filter((hit) => !tier.has(hit))] : hits;
  }

  // The query's hits, best first, with the terms that matched (to highlight), whether they
  // are partial, how many words were searched and whether some were left out; null when
  // `stale()` says a newer query has come meanwhile.
  async function search(engine, query, stale) {
    const plan = window.PaperWords.plan(engine, query);
    const boosts = weights(plan);
    const outcome = { hits: [], partial: false, terms: new Set(), words: plan.words,
      truncated: plan.truncated };
    if (!plan.words) return outcome;
    await engine.load([...boosts.keys(), ...plan.excluded]);  // first the words' own terms
    if (stale()) return null;
    const excluded = new Uint8Array(engine.count);
    mark(engine, plan.excluded, excluded);
    const kept = (hits) => hits.filter((hit) => !excluded[hit.doc]);
    if (!plan.units.length) {  // only words to leave out: every other paper, oldest first
      outcome.hits = kept(Array.from({ length: engine.count }, (_, doc) => ({ doc, score: 0 })));
      return outcome;
    }
    const parts = window.PaperWords.splitRare(engine, plan);
    await engine.load(parts);
    if (stale()) return null;
    const splitFound = new Map([...new Set(plan.units)].map((unit) => [unit, unit.splits.map(
      (terms) => sequence(engine, terms.map((i) => [i])))]));  // each word's, by word
    const bonus = bonuses(engine, links(engine, plan, splitFound));
    const length = Math.sqrt([...boosts.values()].reduce((sum, b) => sum + b * b, 0)) || EXACT;
    const { score } = engine.scores(boosts);
    for (let doc = 0; doc < engine.count; doc++) score[doc] += bonus[doc] * EXACT / length;
    const found = select(engine, matching(engine, plan, splitFound), phraseMarks(engine, plan), score);
    outcome.hits = kept(found.partial ? found.hits : titleFirst(engine, plan.text, found.hits));
    outcome.partial = found.partial;
    outcome.terms = new Set([...boosts.keys(), ...parts].map((i) => engine.vocabulary[i]));
    return outcome;
  }

  window.PaperSearch = { search, idf, TOGETHER, EXACT };
})();

;
// The search page: the query box, facets and results, over search-index.js's index.
// The build serves lunr.js, search-index.js and this file as one script, static/search.js.
// Every value shown comes from data: it is placed with text nodes, never as HTML.
// `data` is search/index.json: tables of named columns (sitegen/schemas/search-index.schema.json).
(function () {
  "use strict";
  const results = document.getElementById("search-results");
  const input = document.getElementById("search-query");
  const status = document.getElementById("search-status");
  const facets = document.getElementById("search-facets");
  const order = document.getElementById("search-sort");  // relevance, newest or oldest first
  if (!results || !input || !status || !facets || !order || typeof lunr === "undefined" ||
    typeof PaperIndex === "undefined") return;
  const base = results.dataset.base;
  const PAGE = 50;  // results drawn at once
  const SHOWN = 80;  // characters of the query that the status and the title repeat
  const more = document.getElementById("search-more");
  const filterPanel = document.getElementById("search-filters");
  const toggle = document.getElementById("filters-toggle");
  const active = document.getElementById("filters-active");
  const clear = document.getElementById("filters-clear");
  const pageTitle = document.title;  // "Search · <site title>"; a query goes before it
  let engine, data, years, latest = 0;
  let graphemes;  // one segmenter for the page: the first one made loads its data (~20 ms)
  let ignored = [];  // filters of the opened URL that name no topic or family: not applied
  // A task boundary: the page's start-up (the index, the first search and drawing its
  // results) is cut into short tasks, so that a tap or a key press never waits behind all
  // of it while the page loads. Later searches run straight through: they are quick, and
  // each hop would add to the time a result takes to show.
  const nextTask = () => new Promise((resolve) => setTimeout(resolve));
  const whenIdle = (then) => (window.requestIdleCallback || setTimeout)(then);
  let loading = true;  // until the first search's results are drawn
  // The query and order the page was opened with show at once, before the index is there:
  // what the reader types or chooses meanwhile is theirs, and the first search runs it.
  const opened = new URLSearchParams(location.search);
  if (!input.value) input.value = opened.get("q") || "";
  chooseOrder(opened);
  window.addEventListener("popstate", revisit);

  // The order named in the address, if it is one; relevance otherwise.
  function chooseOrder(params) {
    const sort = params.get("sort");
    if ([...order.options].some((o) => o.value === sort)) order.value = sort;
    else {
      order.value = "relevance";
      if (sort !== null) ignored.push(`sort “${sort}”`);
    }
  }

  function selected(name) {
    return new Set([...facets.querySelectorAll(`input[name="${name}"]:checked`)].map((i) => i.value));
  }

  // A paper's families with their parents (filtering by LLaMA includes Llama 2 papers),
  // worked out once per paper.
  const lineages = [];
  function lineage(doc) {
    if (!lineages[doc]) {
      const all = new Set();
      for (let i of data.documents.families[doc]) {
        while (i >= 0 && !all.has(i)) { all.add(i); i = data.families.parent[i]; }
      }
      lineages[doc] = [...all];
    }
    return lineages[doc];
  }

  // The year facet's values as a table like `topics`: the years of `published`, newest
  // first, then "none" for papers without a date; and each document's row in it.
  function yearTable(published) {
    const found = [...new Set(published.filter((d) => d).map((d) => Math.floor(d / 10000)))];
    const id = found.sort((a, b) => b - a).map(String);
    if (published.includes(0)) id.push("none");
    const row = new Map(id.map((y, i) => [y, i]));
    const rows = published.map((d) => row.get(d ? String(Math.floor(d / 10000)) : "none"));
    return { id, name: id.map((y) => (y === "none" ? "no date" : y)), rows };
  }

  // The filter groups: their name in the URL and the form, their legend, their table of
  // values, and the rows of a document's values in it.
  const GROUPS = [
    ["topic", "Topic", () => data.topics, (doc) => data.documents.topics[doc]],
    ["family", "Model family", () => data.families, lineage],
    ["year", "Year", () => years, (doc) => [years.rows[doc]]],
  ];

  // OR within a group, AND across groups; `chosen` holds each group's row numbers. The
  // group numbered `skip` is left out (a facet's counts ignore its own choices).
  function passes(doc, chosen, skip = -1) {
    return GROUPS.every(([, , , owned], k) =>
      k === skip || !chosen[k].size || owned(doc).some((i) => chosen[k].has(i)));
  }

  // Newest or oldest first by `published`; papers without a date last, and papers of one
  // date in the order of relevance (the sort is stable).
  function sorted(hits, sort) {
    if (sort === "relevance") return hits;
    const date = data.documents.published, sign = sort === "newest" ? -1 : 1;
    return hits.slice().sort((a, b) => (!date[a.doc] || !date[b.doc])
      ? (date[a.doc] ? 0 : 1) - (date[b.doc] ? 0 : 1)
      : sign * (date[a.doc] - date[b.doc]));
  }

  // The row numbers of the named values in a table (topics or families).
  function numbers(table, names) {
    const number = new Map(table.id.map((name, i) => [name, i]));
    return new Set([...names].filter((n) => number.has(n)).map((n) => number.get(n)));
  }

  // Results are drawn for the latest query only; #search-results is aria-busy until then,
  // and says "search-done" when they are drawn. `how` the query came: "live" (typed, or a
  // filter or the order changed), "submit" (Enter) or "restore" (the address's own query).
  async function run(how = "live") {
    const query = input.value.trim();
    const names = GROUPS.map(([name]) => selected(name));
    const filters = names.reduce((n, set) => n + set.size, 0);
    const mine = ++latest;
    results.setAttribute("aria-busy", "true");
    let outcome;
    try {
      if (query) outcome = await engine.search(query, () => mine !== latest);
      else if (filters) outcome = { hits: data.documents.id.map((_, doc) => ({ doc })), terms: new Set() };
      else outcome = { hits: [], terms: new Set() };
    } catch (error) {
      if (mine !== latest) return;
      status.textContent = `Search is unavailable right now (${error.message}). Try again, or browse by topic or family.`;
      results.removeAttribute("aria-busy");
      return;
    }
    if (loading) await nextTask();
    if (mine !== latest) return;
    const chosen = GROUPS.map(([, , table], k) => numbers(table(), names[k]));
    const shown = sorted(outcome.hits.filter((h) => passes(h.doc, chosen)), order.value);
    renderResults(shown, outcome.terms);
    if (loading) await nextTask();
    if (mine !== latest) return;
    loading = false;
    renderFacets(outcome.hits, chosen, names);
    showActive(filters);
    announce(query, shown.length, outcome, filters);
    updateUrl(query, names, order.value, how);
    document.title = query ? `${shortened(query)} · ${pageTitle}` : pageTitle;
    results.removeAttribute("aria-busy");
    results.dispatchEvent(new CustomEvent("search-done", { detail: { query } }));
  }

  // The query as the status and the title repeat it: a long one is cut between characters as
  // a reader sees them (grapheme clusters; code points where Intl.Segmenter is missing), never
  // inside an emoji.
  // A query of no more UTF-16 units than SHOWN has no more characters either: it is shown
  // whole, and the segmenter is not made for it.
  function shortened(query) {
    if (query.length <= SHOWN) return query;
    const split = segmenter();
    const characters = split ? [...split.segment(query)].map((c) => c.segment) : [...query];
    return characters.length > SHOWN ? characters.slice(0, SHOWN).join("") + "…" : query;
  }

  function segmenter() {
    graphemes ??= typeof Intl.Segmenter === "function"
      ? new Intl.Segmenter(undefined, { granularity: "grapheme" }) : null;
    return graphemes;
  }

  // What the first query would pay for on its own, done while the reader has not typed
  // (`searched`: the searches begun when it was asked for; a query begun since does it all
  // itself, and is not held up): the text pipeline's patterns compiled and the query planner
  // run on a title the index holds, then the vocabulary sorted by length for typos
  // (`termsByLength`), each step in an idle moment of its own so that neither holds up a
  // tap. Nothing is fetched. The first search took 120 ms at 20,000 papers, 77-84 ms after
  // this.
  const WARM_UP = [
    () => window.PaperWords.plan(engine, engine.titles.find(Boolean) || ""),
    () => engine.termsByLength(),
  ];
  function warmUp(searched, step = 0) {
    if (latest !== searched) return;
    WARM_UP[step]();
    if (step + 1 < WARM_UP.length) whenIdle(() => warmUp(searched, step + 1));
    else performance.mark("search-warm");
  }

  function quoted(query) {
    return "“" + shortened(query) + "”";
  }

  function announce(query, count, outcome, filters) {
    let text = "";
    if (query && !engine.words(query).length) {
      text = `No searchable words in ${quoted(query)}: only letters and digits are searched`;
    } else if (query && outcome.words === 0) {
      text = `No words to search for in ${quoted(query)}: common words such as “the” are left out`;
    } else if (query || filters) {
      const noun = count === 1 ? "paper" : "papers";
      text = `${count} ${noun}` + (query ? ` for ${quoted(query)}` : "") + (filters ? " with the chosen filters" : "");
      if (outcome.partial) text += " (no paper has every word; showing papers with some of them)";
      if (outcome.truncated) text += ` (only the first ${outcome.words} words were searched)`;
    }
    if (ignored.length) {
      text += (text ? ". " : "") + `Unknown filters ignored: ${ignored.join(", ")}`;
      ignored = [];  // said once, for the page as it was opened
    }
    status.textContent = text;
  }

  function highlighted(title, matched) {
    const fragment = document.createDocumentFragment();
    let last = 0;
    for (const m of title.matchAll(engine.segments)) {
      if (m.index > last) fragment.append(title.slice(last, m.index));
      const hit = engine.tokens(m[0]).some((t) => matched.has(t));
      if (hit) {
        const mark = document.createElement("mark");
        mark.textContent = m[0];
        fragment.append(mark);
      } else {
        fragment.append(m[0]);
      }
      last = m.index + m[0].length;
    }
    if (last < title.length) fragment.append(title.slice(last));
    return fragment;
  }

  // " (published 2023)", as lists of papers show it, for a date YYYYMMDD; none for 0.
  function publishedYear(date) {
    if (!date) return [];
    const text = String(date), span = document.createElement("span"), time = document.createElement("time");
    time.dateTime = `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6)}`;
    time.textContent = text.slice(0, 4);
    span.className = "year";
    span.append("(published ", time, ")");
    return [" ", span];
  }

  function resultItem(hit, terms) {
    const { id, title, topics, families, published } = data.documents;
    const doc = hit.doc;
    const li = document.createElement("li");
    const a = document.createElement("a");
    a.href = base + "papers/" + encodeURIComponent(id[doc]) + "/";
    a.className = "paper-title";
    a.append(highlighted(title[doc], terms));
    const meta = document.createElement("span");
    meta.className = "meta";
    meta.textContent = [...families[doc].map((i) => data.families.name[i]),
      ...topics[doc].map((i) => data.topics.name[i])].join(" · ");
    li.append(a, ...publishedYear(published[doc]), meta);
    return li;
  }

  // The first PAGE results at once; the rest on request, so long lists stay instant.
  // Title words whose term the query asked for are marked: the paper has them, so they matched.
  function renderResults(hits, terms) {
    results.replaceChildren(...hits.slice(0, PAGE).map((hit) => resultItem(hit, terms)));
    more.hidden = hits.length <= PAGE;
    more.textContent = `Show all ${hits.length} papers`;
    more.onclick = () => {
      results.append(...hits.slice(PAGE).map((hit) => resultItem(hit, terms)));
      more.hidden = true;
      results.children[PAGE].querySelector("a").focus();
    };
  }

  // Each value's count is of the papers that the other group's filters let through.
  function renderFacets(hits, chosen, names) {
    const fieldsets = GROUPS.map(([name, legend, table, owned], k) => {
      const values = table(), mine = names[k];
      const counts = new Uint32Array(values.id.length);
      for (const h of hits) {
        if (passes(h.doc, chosen, k)) for (const i of owned(h.doc)) counts[i]++;
      }
      const fieldset = document.createElement("fieldset");
      const caption = document.createElement("legend");
      caption.textContent = legend;
      fieldset.append(caption);
      values.id.forEach((value, i) => {
        const label = values.name[i], count = counts[i];
        if (!count && !mine.has(value)) return;
        const box = document.createElement("input");
        box.type = "checkbox"; box.name = name; box.value = value; box.checked = mine.has(value);
        box.addEventListener("change", () => run());
        const text = document.createElement("label");
        text.append(box, ` ${label} `);
        const n = document.createElement("span");
        n.className = "count"; n.textContent = `(${count})`;
        text.append(n);
        fieldset.append(text);
      });
      return fieldset;
    });
    facets.replaceChildren(...fieldsets.filter((f) => f.children.length > 1));
  }

  // The filters' panel: open beside the results on a wide screen, closed under the query
  // on a narrow one (results first). Its button says how many filters are on; one tap on
  // "Clear filters" turns them all off.
  function setOpen(open) {
    toggle.setAttribute("aria-expanded", String(open));
    filterPanel.classList.toggle("open", open);
  }

  function showActive(count) {
    active.textContent = count ? ` · ${count} active` : "";
    clear.hidden = !count;
  }

  function panel() {
    setOpen(matchMedia("(min-width: 40.01rem)").matches);
    toggle.addEventListener("click", () => setOpen(toggle.getAttribute("aria-expanded") !== "true"));
    clear.addEventListener("click", () => {
      facets.querySelectorAll("input:checked").forEach((box) => { box.checked = false; });
      run();
      toggle.focus();  // the button just used is hidden now
    });
  }

  // "Skip to results" moves the focus to the first result (the list itself when it is
  // empty), past the filters.
  function skipToResults(event) {
    event.preventDefault();
    const first = results.querySelector("a");
    if (first) first.focus();
    else { results.tabIndex = -1; results.focus(); }
  }

  // The address says what is shown. A query submitted (Enter) is a history entry of its own;
  // typing, a filter or the order write the entry being typed, which is a new one after a
  // submitted query (marked `draft` until submitted), so Back goes to each query searched.
  function updateUrl(query, names, sort, how) {
    const params = new URLSearchParams();
    if (query) params.set("q", query);
    GROUPS.forEach(([name], k) => names[k].forEach((value) => params.append(name, value)));
    if (sort !== "relevance") params.set("sort", sort);
    const url = location.pathname + (params.toString() ? "?" + params : "");
    const here = location.pathname + location.search, draft = history.state?.draft === true;
    const state = how === "submit" ? null : history.state;
    if (draft || how === "restore" || url === here) {
      // (an entry written needlessly would cancel a Back the reader has just asked for)
      if (url !== here || state !== history.state) history.replaceState(state, "", url);
    } else {
      history.pushState(how === "submit" ? null : { draft: true }, "", url);
    }
  }

  // Back or Forward: the query, order and filters of that address, searched again (or by
  // the first search, when the index is still on its way).
  function revisit() {
    const params = new URLSearchParams(location.search);
    input.value = params.get("q") || "";
    chooseOrder(params);
    if (!years) return;
    restore(params);
    run("restore");
  }

  // The filters an address names (the one the page was opened with, or one gone back to),
  // once the index says which topics and families exist.
  function restore(params) {
    const known = Object.fromEntries(GROUPS.map(([name, , table]) => [name, new Set(table().id)]));
    const boxes = [...facets.querySelectorAll("input")];
    for (const box of boxes) box.checked = params.getAll(box.name).includes(box.value);
    const drawn = (name, value) => boxes.some((box) => box.name === name && box.value === value);
    // Boxes not drawn (none are before the first search): hidden ones for the chosen values,
    // then search (which writes the URL again, without the values that name nothing).
    for (const [name, value] of GROUPS.flatMap(([name]) => params.getAll(name).map((v) => [name, v]))) {
      if (drawn(name, value)) continue;
      if (!known[name].has(value)) {
        ignored.push(`${name} “${value}”`);
        continue;
      }
      const box = document.createElement("input");
      box.type = "checkbox"; box.name = name; box.value = value; box.checked = true; box.hidden = true;
      facets.append(box);
    }
  }

  async function start() {
    panel();
    document.getElementById("skip-to-results")?.addEventListener("click", skipToResults);
    status.textContent = "Loading the search index…";
    try {
      const response = await fetch(results.dataset.index);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      data = await response.json();
      performance.mark("search-data");
      await nextTask();
      engine = new PaperIndex(data, results.dataset.index);
      performance.mark("search-unpacked");
    } catch (error) {
      status.textContent = "Search is unavailable right now (" + error.message + "). Browse by topic or family instead.";
      return;
    }
    await nextTask();
    years = yearTable(data.documents.published);
    restore(new URLSearchParams(location.search));
    input.addEventListener("input", () => run());
    order.addEventListener("change", () => run());
    input.form.addEventListener("submit", (event) => { event.preventDefault(); run("submit"); });
    // For people and tests who want to look inside: the index, its text pipeline, its search,
    // and the whole index as one lunr.Index (which fetches every shard).
    window.paperSearch = { engine, tokens: (text) => engine.tokens(text),
      search: (q) => engine.search(q), lunrIndex: () => engine.lunrIndex() };
    await nextTask();
    document.documentElement.dataset.searchReady = "true";  // with the first search begun
    performance.mark("search-ready");
    run("restore");
    const searched = latest;
    whenIdle(() => warmUp(searched));
  }

  // The index is asked for once the page's first paint is on screen (or after a second, in
  // a browser that does not say when it paints, or a tab that is not shown): the page's own
  // files come first on a slow network, and the query box and the room kept for results
  // show at once, never held back by the index's download or its work.
  function afterFirstPaint(then) {
    let started = false;
    const once = () => { if (!started) { started = true; setTimeout(then); } };
    setTimeout(once, 1000);
    try {
      const seen = new PerformanceObserver((list) => {
        if (list.getEntriesByName("first-contentful-paint").length) { seen.disconnect(); once(); }
      });
      seen.observe({ type: "paint", buffered: true });
    } catch {
      requestAnimationFrame(once);
    }
  }
  afterFirstPaint(start);
})();
